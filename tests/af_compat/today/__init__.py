"""AF 1.x (today's dialect): the tests take the module they import from, so they run on wfkit and on real AF."""
