//! OAuth: wire types and consent URL ([`oauth`]), token claims ([`claims`]), the refresh-token
//! store the app implements ([`store`]) and the per-account access-token cache ([`tokens`]).

pub mod claims;
pub mod oauth;
pub mod store;
pub(crate) mod tokens;
