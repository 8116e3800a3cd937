"""Shared by every test directory. Its being here is what counts: pytest (in its default
"prepend" import mode) puts the folder of a conftest.py that is outside any package on
sys.path, so this one makes the helpers kept in tests/ itself, such as `serve_process`,
importable by plain name from tests/api, tests/deploy, tests/e2e and the rest, however many of
them a run collects; the helpers beside the tests of one directory import the same way."""
