"""What a partner's API key may be allowed to do. The gateway's access table
names these; the membership service stores them with each key."""

SCOPES = {
    "directory:read": "Read the open directory, its map and its HSDS data.",
    "webhooks:manage": "Register and manage webhook subscriptions.",
    "progress:read": "Read the progress members chose to share publicly.",
    "evaluation:read": "Read the public evaluation of the shared stories.",
}
