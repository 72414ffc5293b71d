"""Demo credentials the embedded `--demo` backend is seeded with (not secrets: public demo data)."""

DEMO_ADMIN_EMAIL = "ava.admin@demo.example"
DEMO_ADMIN_PASSWORD = "demo-admin-pass"
DEMO_PASSWORD = "demo-pass-123"
