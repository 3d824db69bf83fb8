"""The channels: each turns what a person did into the engine's answers and renders what the engine says."""
