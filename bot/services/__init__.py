"""Use cases: small async functions over the models, free of any channel's types."""
