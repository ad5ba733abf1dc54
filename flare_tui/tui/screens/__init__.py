"""The screens of the Flare app, one module each."""
