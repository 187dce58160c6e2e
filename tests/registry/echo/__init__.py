"""Echo: a tiny API defined only for the registry's tests. It follows "How to add an API" in
docs/architecture.md, and no file outside this folder (and its test) knows it exists."""
