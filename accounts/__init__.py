"""Units, memberships with a role per unit, the access helpers and the audit log."""
