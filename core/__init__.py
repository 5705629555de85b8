"""存量客户经营台 core: ingest, policy, segmentation, assignment, plans, storage. No UI imports."""
