COVERED = {"children:sibling-group-create", "children:sibling-group"}
