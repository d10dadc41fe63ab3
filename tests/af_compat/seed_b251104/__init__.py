"""AF python-1.0.0b251104: the `ctx.request_info` + `@response_handler` era, written in that era's spelling."""
