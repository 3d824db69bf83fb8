"""The ``tipbot`` command line: one module per command group."""
