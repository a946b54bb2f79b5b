"""Imported first by the DfE validator's worker processes (the forkserver preloads it), so that each worker
starts with pandas, the validator and its rulesets already imported. No Django: a worker needs only the CSVs."""

from permanence.interchange.ssda903 import dfe

dfe.warm()
