"""The shipped knowledge base: this folder is installed as the package ``bot.bundled_knowledge``.

It holds only YAML data (every ``*.yaml`` file here goes into the wheel, see pyproject.toml);
this file exists so that ``importlib.resources`` can find the folder in a wheel, a pipx install
and an editable install alike. The loader reads only the ``.yaml`` files.
"""
