-- Org pickers read the tree level by level inside a subtree.
CREATE INDEX orgs_depth_path ON orgs(depth, path);
