"""Safety plans made together with a person exposed to violence, reviewed over time."""
