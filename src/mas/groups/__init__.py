"""Account groups: one strategy over many broker accounts (allocation, the group file, the group session)."""
