//! Reader (in progress).
use std::path::Path;

use crate::{SbomContent, SbomError};

pub(crate) fn read_json(_path: &Path, _text: &str) -> Result<SbomContent, SbomError> {
    Err(SbomError::UnknownFormat)
}
pub(crate) fn read_xml(_path: &Path, _text: &str) -> Result<SbomContent, SbomError> {
    Err(SbomError::UnknownFormat)
}
