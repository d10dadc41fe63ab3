"""AF python-1.0.0b251007: the `RequestInfoExecutor` era, written as the notebooks of that era write it."""
