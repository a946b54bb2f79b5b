pytest_plugins = ["permanence.testing"]
