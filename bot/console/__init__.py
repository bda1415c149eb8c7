"""The terminal adapter: plain-text rendering and the ``mlcareer chat`` loop."""
