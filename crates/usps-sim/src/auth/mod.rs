//! OAuth 2.0 token service, the COP consent pages, token signing and the resource-server guard.

pub mod consent;
pub mod guard;
pub mod html;
pub mod jwt;
pub mod oauth;
