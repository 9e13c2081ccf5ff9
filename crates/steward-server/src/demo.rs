//! Demo seeding (placeholder).
