//! stub
pub struct ReqError;
pub struct VersionReq;
