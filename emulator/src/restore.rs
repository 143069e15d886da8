//! RestoreObject (`POST ?restore`, an optional `RestoreRequest` body with `Days`) and what it changes: as OSS, an
//! `Archive`, `ColdArchive` or `DeepColdArchive` object cannot be read (`403 InvalidObjectState`) until a restore
//! has finished; the first request answers `202`, another during the restore `409 RestoreAlreadyInProgress`, one
//! after it `200` (and extends the expiry). Objects of other classes are `400 OperationNotSupported`. HEAD shows the
//! state in `x-oss-restore`. The emulator's restores take RESTORE_SECONDS.

use crate::error::OssError;
use crate::http::Response;
use crate::object::small_body;
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::ObjectMeta;
use crate::time;
use crate::xml;

/// How long a restore takes here (OSS: minutes to hours). Times are whole seconds, so a restore ends between
/// RESTORE_SECONDS - 1 and RESTORE_SECONDS after it was asked for: at least a second, however close to the next
/// second the request came (with 1, a restore asked for at x.99 s was over 10 ms later).
pub const RESTORE_SECONDS: i64 = 2;
const ARCHIVED: &[&str] = &["Archive", "ColdArchive", "DeepColdArchive"];

/// The `x-oss-restore` header of an archived object that was asked to be restored.
pub fn header(meta: &ObjectMeta) -> Option<String> {
    let (ready, until) = meta.restore?;
    Some(if time::now_unix() < ready {
        "ongoing-request=\"true\"".to_string()
    } else {
        format!("ongoing-request=\"false\", expiry-date=\"{}\"", time::http_date(until))
    })
}

/// Refuses reading an archived object that is not restored.
pub fn check_readable(meta: &ObjectMeta) -> Result<(), OssError> {
    let now = time::now_unix();
    let restored = meta.restore.is_some_and(|(ready, until)| ready <= now && now < until);
    if ARCHIVED.contains(&meta.storage_class.as_str()) && !restored {
        return Err(OssError::new(403, "InvalidObjectState", "The operation is not valid for the object's state."));
    }
    Ok(())
}

/// POST /bucket/key?restore.
pub fn restore(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let body = small_body(req, 64 * 1024)?;
    let days = if body.iter().all(u8::is_ascii_whitespace) {
        1
    } else {
        let text = String::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
        let root = xml::parse(&text).map_err(|_| OssError::malformed_xml())?;
        if root.name != "RestoreRequest" {
            return Err(OssError::malformed_xml());
        }
        match root.child("Days") {
            None => 1,
            Some(d) => d.text.trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d)).ok_or_else(|| {
                OssError::invalid_argument("Days must be an integer from 1 to 365.").with_extra("ArgumentName", "Days")
            })?,
        }
    };
    let mut meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    if !ARCHIVED.contains(&meta.storage_class.as_str()) {
        return Err(OssError::new(400, "OperationNotSupported", "The operation is not supported for this resource."));
    }
    let now = time::now_unix();
    let status = match meta.restore {
        Some((ready, _)) if now < ready => {
            return Err(OssError::new(409, "RestoreAlreadyInProgress", "The restore operation is in progress."));
        }
        Some((ready, until)) if now < until => {
            meta.restore = Some((ready, now + days * 86_400));
            200
        }
        _ => {
            meta.restore = Some((now + RESTORE_SECONDS, now + RESTORE_SECONDS + days * 86_400));
            202
        }
    };
    match oss.store.update_meta(&ctx.bucket, meta) {
        Ok(true) => Ok(Response::empty(status)),
        Ok(false) => Err(OssError::no_such_key()),
        Err(e) => Err(OssError::internal(format!("cannot record the restore: {e}"))),
    }
}
