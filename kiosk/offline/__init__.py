"""The offline layer shared by the kiosk and the patrol tablets (OFFLINE.md): enrolled
devices, the outbox's server side (shell pages, heartbeats) and exactly-once acceptance."""
