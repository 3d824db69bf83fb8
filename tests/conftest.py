"""The suite's fixtures live in tests/helpers/fixtures.py (a plugin, so that every folder
shares them without importing a conftest); its helpers in the other tests/helpers modules."""
pytest_plugins = ["tests.helpers.fixtures"]
