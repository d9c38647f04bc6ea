"""The parts of the register, one per noun (registry.documents, registry.routing, …), each in its own module."""
