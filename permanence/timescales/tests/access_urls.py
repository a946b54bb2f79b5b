COVERED = {"timescales:list"}
