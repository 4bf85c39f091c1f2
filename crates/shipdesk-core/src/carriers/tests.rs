//! Connections tests.
