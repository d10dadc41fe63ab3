"""Tests of wfkit.core: the executors, edges, engine and workflow runs."""
