"""Results: progress against the contract targets, disclosure control of small counts, charts."""
