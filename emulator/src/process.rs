//! Image processing: GetObject with `x-oss-process=image/...` answers the processed image; ProcessObject
//! (`POST /bucket/key?x-oss-process`, body `x-oss-process=image/...|sys/saveas,o_…,b_…`) stores it and answers
//! `{"bucket","fileSize","object","status":"OK"}`; AsyncProcessObject (`POST ?x-oss-async-process`) takes the same
//! pipeline and answers `{"EventId","RequestId","TaskId"}`.
//!
//! Actions, chained with `/` after `image/` (each `name,param_value,…`): `resize` (`w`, `h`, `l`, `s` 1..=16384,
//! `p` percent 1..=1000, `m` lfit (default) / mfit / fill / pad / fixed, `limit` 1 (default: never enlarge) or 0,
//! `color` for pad), `crop` (`x`, `y`, `w`, `h`; from the top left), `rotate` (0..=360), `format` (jpg, jpeg,
//! png, bmp, gif), `quality` (`q` or `Q` 1..=100, JPEG only) and `info` (GET only: the size, format and dimensions
//! as JSON). The saved object's name and bucket are URL-safe Base64 (`o_` required, `b_` defaults to the source's
//! bucket). A malformed pipeline or value is `400 InvalidArgument`; a source that is not a decodable image or is
//! larger than 20 MB is `400 InvalidArgument` too.
//!
//! What this emulator leaves out, answering `501 NotImplemented`: rotations other than multiples of 90°, styles
//! (`style/…`), the other formats and actions of OSS's image service, and the video, audio and document actions
//! OSS runs through IMM; an async task runs to its end before the request is answered.
//!
//! The OSS facts behind it are in `docs/versioning-and-processing.md`.

use std::fs;
use std::io::{Cursor, Read};

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};
use serde_json::json;

use crate::error::OssError;
use crate::http::Response;
use crate::object::small_body;
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::{write_hashed, ObjectMeta};

/// Largest source image: 20 MB.
const MAX_SOURCE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest width or height an action may ask for.
const MAX_SIDE: u32 = 16384;
/// Largest ProcessObject body.
const MAX_BODY: u64 = 64 * 1024;

fn invalid(message: impl Into<String>) -> OssError {
    OssError::invalid_argument(message)
}

fn not_implemented(what: &str) -> OssError {
    OssError::new(501, "NotImplemented", format!("The emulator does not implement {what}."))
}

/// One image action.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Resize(Resize),
    Crop { x: u32, y: u32, w: Option<u32>, h: Option<u32> },
    Rotate(u32),
    Format(ImageFormat),
    Quality(u8),
    Info,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Resize {
    w: Option<u32>,
    h: Option<u32>,
    long: Option<u32>,
    short: Option<u32>,
    percent: Option<u32>,
    mode: String,
    enlarge: bool,
    color: [u8; 3],
}

/// Where a ProcessObject result goes.
#[derive(Debug, Clone, PartialEq)]
struct SaveAs {
    bucket: Option<String>,
    key: String,
}

/// A parsed `x-oss-process` value.
#[derive(Debug, Clone, PartialEq)]
struct Pipeline {
    actions: Vec<Action>,
    save_as: Option<SaveAs>,
}

fn number(name: &str, value: &str, range: std::ops::RangeInclusive<u32>) -> Result<u32, OssError> {
    value.parse::<u32>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
        invalid(format!(
            "The value of {name} must be an integer from {} to {}, not '{value}'.",
            range.start(),
            range.end()
        ))
    })
}

/// The `name_value` pairs after an action's name.
fn params<'a>(action: &str, rest: impl Iterator<Item = &'a str>) -> Result<Vec<(&'a str, &'a str)>, OssError> {
    rest.map(|p| p.split_once('_').ok_or_else(|| invalid(format!("The parameter '{p}' of {action} is malformed."))))
        .collect()
}

fn parse_action(text: &str) -> Result<Action, OssError> {
    let mut parts = text.split(',');
    let name = parts.next().unwrap_or("");
    let values: Vec<&str> = text.split(',').skip(1).collect();
    match name {
        "resize" => {
            let mut r = Resize { mode: "lfit".into(), color: [255, 255, 255], ..Resize::default() };
            let mut limit = true;
            for (k, v) in params(name, parts)? {
                match k {
                    "w" => r.w = Some(number("w", v, 1..=MAX_SIDE)?),
                    "h" => r.h = Some(number("h", v, 1..=MAX_SIDE)?),
                    "l" => r.long = Some(number("l", v, 1..=MAX_SIDE)?),
                    "s" => r.short = Some(number("s", v, 1..=MAX_SIDE)?),
                    "p" => r.percent = Some(number("p", v, 1..=1000)?),
                    "m" if ["lfit", "mfit", "fill", "pad", "fixed"].contains(&v) => r.mode = v.to_string(),
                    "limit" if v == "0" || v == "1" => limit = v == "1",
                    "color" => r.color = color(v)?,
                    _ => return Err(invalid(format!("The parameter '{k}_{v}' of resize is not valid."))),
                }
            }
            if [r.w, r.h, r.long, r.short, r.percent].iter().all(Option::is_none) {
                return Err(invalid("resize needs w, h, l, s or p."));
            }
            r.enlarge = !limit;
            Ok(Action::Resize(r))
        }
        "crop" => {
            let (mut x, mut y, mut w, mut h) = (0, 0, None, None);
            for (k, v) in params(name, parts)? {
                match k {
                    "x" => x = number("x", v, 0..=MAX_SIDE)?,
                    "y" => y = number("y", v, 0..=MAX_SIDE)?,
                    "w" => w = Some(number("w", v, 1..=MAX_SIDE)?),
                    "h" => h = Some(number("h", v, 1..=MAX_SIDE)?),
                    "g" => return Err(not_implemented("crop gravity")),
                    _ => return Err(invalid(format!("The parameter '{k}_{v}' of crop is not valid."))),
                }
            }
            Ok(Action::Crop { x, y, w, h })
        }
        "rotate" => match values.as_slice() {
            [angle] => match number("rotate", angle, 0..=360)? {
                a if a % 90 == 0 => Ok(Action::Rotate(a % 360)),
                _ => Err(not_implemented("rotations other than multiples of 90 degrees")),
            },
            _ => Err(invalid("rotate takes one angle.")),
        },
        "format" => match values.as_slice() {
            ["jpg" | "jpeg"] => Ok(Action::Format(ImageFormat::Jpeg)),
            ["png"] => Ok(Action::Format(ImageFormat::Png)),
            ["bmp"] => Ok(Action::Format(ImageFormat::Bmp)),
            ["gif"] => Ok(Action::Format(ImageFormat::Gif)),
            ["webp" | "tiff" | "heic" | "avif" | "jxl"] => Err(not_implemented("this output format")),
            _ => Err(invalid(format!("The format '{}' is not valid.", values.join(",")))),
        },
        "quality" => match params(name, parts)?.as_slice() {
            [("q" | "Q", v)] => Ok(Action::Quality(number("quality", v, 1..=100)? as u8)),
            _ => Err(invalid("quality takes q_ or Q_.")),
        },
        "info" if values.is_empty() => Ok(Action::Info),
        "" => Err(invalid("An image action is empty.")),
        other => Err(not_implemented(&format!("the image action '{other}'"))),
    }
}

fn color(hex: &str) -> Result<[u8; 3], OssError> {
    let bad = || invalid(format!("The color '{hex}' is not six hexadecimal digits."));
    if hex.len() != 6 {
        return Err(bad());
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok([byte(0)?, byte(2)?, byte(4)?])
}

fn decode_name(what: &str, value: &str) -> Result<String, OssError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .or_else(|_| URL_SAFE.decode(value))
        .map_err(|_| invalid(format!("The {what} of sys/saveas is not URL-safe Base64.")))?;
    String::from_utf8(bytes).map_err(|_| invalid(format!("The {what} of sys/saveas is not UTF-8.")))
}

fn parse(spec: &str) -> Result<Pipeline, OssError> {
    let mut segments = spec.split('|');
    let first = segments.next().unwrap_or("");
    let actions = match first.split_once('/') {
        Some(("image", rest)) => rest.split('/').map(parse_action).collect::<Result<Vec<_>, _>>()?,
        Some(("style", _)) => return Err(not_implemented("image styles")),
        Some(("video" | "audio" | "doc" | "imm", _)) => return Err(not_implemented("media and document processing")),
        _ => return Err(invalid(format!("The process '{first}' is not valid: it must start with image/."))),
    };
    let mut save_as = None;
    for segment in segments {
        let mut parts = segment.split(',');
        match parts.next() {
            Some("sys/saveas") => {
                let (mut bucket, mut key) = (None, None);
                for (k, v) in params("sys/saveas", parts)? {
                    match k {
                        "o" => key = Some(decode_name("object name", v)?),
                        "b" => bucket = Some(decode_name("bucket name", v)?),
                        _ => return Err(invalid(format!("The parameter '{k}_{v}' of sys/saveas is not valid."))),
                    }
                }
                let key = key.filter(|k| !k.is_empty()).ok_or_else(|| invalid("sys/saveas needs o_."))?;
                if key.len() > 1023 {
                    return Err(OssError::new(400, "InvalidObjectName", "The saved object name is too long."));
                }
                save_as = Some(SaveAs { bucket, key });
            }
            Some("sys/notify") => return Err(not_implemented("sys/notify")),
            _ => return Err(invalid(format!("The process segment '{segment}' is not valid."))),
        }
    }
    Ok(Pipeline { actions, save_as })
}

/// A processed image and how it is written.
struct Output {
    bytes: Vec<u8>,
    content_type: &'static str,
}

fn content_type(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::Gif => "image/gif",
        _ => "image/bmp",
    }
}

/// Reads the source object (at most 20 MB) and decodes it.
fn load(oss: &Oss, ctx: &Ctx) -> Result<(Vec<u8>, DynamicImage, ImageFormat), OssError> {
    let (file, meta) = oss.store.open_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    crate::restore::check_readable(&meta)?;
    if meta.size > MAX_SOURCE_BYTES {
        return Err(invalid("The source image is larger than 20 MB."));
    }
    let mut bytes = Vec::with_capacity(meta.size as usize);
    file.take(MAX_SOURCE_BYTES).read_to_end(&mut bytes).map_err(|e| OssError::internal(e.to_string()))?;
    let not_image = || invalid("The source object is not an image (JPEG, PNG, GIF or BMP).");
    let format = image::guess_format(&bytes).map_err(|_| not_image())?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::Bmp) {
        return Err(not_image());
    }
    let decoded = image::load_from_memory_with_format(&bytes, format).map_err(|_| not_image())?;
    Ok((bytes, decoded, format))
}

fn resize(img: DynamicImage, r: &Resize) -> DynamicImage {
    let (w0, h0) = img.dimensions();
    let scale_to = |w: f64, h: f64| ((w.round() as u32).max(1), (h.round() as u32).max(1));
    let (w0f, h0f) = (w0 as f64, h0 as f64);
    if let Some(p) = r.percent.filter(|_| r.w.is_none() && r.h.is_none() && r.long.is_none() && r.short.is_none()) {
        let (w, h) = scale_to(w0f * p as f64 / 100.0, h0f * p as f64 / 100.0);
        return if p > 100 && !r.enlarge { img } else { img.resize_exact(w, h, FilterType::Triangle) };
    }
    // The box asked for: w and h, or the long and short sides mapped onto the image's orientation.
    let landscape = w0 >= h0;
    let (bw, bh) = match (r.w, r.h) {
        (None, None) => {
            let (long, short) = (r.long, r.short);
            if landscape {
                (long, short)
            } else {
                (short, long)
            }
        }
        wh => wh,
    };
    let ratio_w = bw.map(|w| w as f64 / w0f);
    let ratio_h = bh.map(|h| h as f64 / h0f);
    let fit = |outward: bool| match (ratio_w, ratio_h) {
        (Some(a), Some(b)) if outward => a.max(b),
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => 1.0,
    };
    let exact = |w: u32, h: u32| img.resize_exact(w, h, FilterType::Triangle);
    let too_big = |ratio: f64| ratio > 1.0 && !r.enlarge;
    match (r.mode.as_str(), bw, bh) {
        ("fixed", Some(w), Some(h)) if !(too_big(w as f64 / w0f) || too_big(h as f64 / h0f)) => exact(w, h),
        ("fill", Some(w), Some(h)) if !too_big(fit(true)) => {
            let ratio = fit(true);
            let (sw, sh) = scale_to(w0f * ratio, h0f * ratio);
            let scaled = exact(sw, sh);
            scaled.crop_imm((sw - w.min(sw)) / 2, (sh - h.min(sh)) / 2, w.min(sw), h.min(sh))
        }
        ("pad", Some(w), Some(h)) => {
            let ratio = if too_big(fit(false)) { 1.0 } else { fit(false) };
            let (sw, sh) = scale_to(w0f * ratio, h0f * ratio);
            let [red, green, blue] = r.color;
            let mut canvas = RgbaImage::from_pixel(w.max(sw), h.max(sh), Rgba([red, green, blue, 255]));
            let scaled = exact(sw, sh).to_rgba8();
            image::imageops::overlay(
                &mut canvas,
                &scaled,
                ((w.max(sw) - sw) / 2).into(),
                ((h.max(sh) - sh) / 2).into(),
            );
            DynamicImage::ImageRgba8(canvas)
        }
        (mode, _, _) => {
            let ratio = fit(mode == "mfit" || mode == "fill");
            if too_big(ratio) {
                return img;
            }
            let (w, h) = scale_to(w0f * ratio, h0f * ratio);
            exact(w, h)
        }
    }
}

fn crop(img: DynamicImage, x: u32, y: u32, w: Option<u32>, h: Option<u32>) -> Result<DynamicImage, OssError> {
    let (w0, h0) = img.dimensions();
    if x >= w0 || y >= h0 {
        return Err(invalid(format!("The crop origin {x},{y} is outside the {w0}x{h0} image.")));
    }
    let w = w.unwrap_or(w0 - x).min(w0 - x);
    let h = h.unwrap_or(h0 - y).min(h0 - y);
    Ok(img.crop_imm(x, y, w, h))
}

/// Runs the actions on the source and encodes the result (`info` is answered by [`get`] alone).
fn run(source: DynamicImage, format: ImageFormat, actions: &[Action]) -> Result<Output, OssError> {
    let mut img = source;
    let mut out_format = format;
    let mut quality = 90u8;
    for action in actions {
        img = match action {
            Action::Resize(r) => resize(img, r),
            Action::Crop { x, y, w, h } => crop(img, *x, *y, *w, *h)?,
            Action::Rotate(90) => img.rotate90(),
            Action::Rotate(180) => img.rotate180(),
            Action::Rotate(270) => img.rotate270(),
            Action::Rotate(_) => img,
            Action::Format(f) => {
                out_format = *f;
                img
            }
            Action::Quality(q) => {
                quality = *q;
                img
            }
            Action::Info => return Err(invalid("info cannot be combined with other actions or saved.")),
        };
    }
    let mut bytes = Vec::new();
    let encoded = match out_format {
        ImageFormat::Jpeg => JpegEncoder::new_with_quality(&mut bytes, quality).encode_image(&img.to_rgb8()),
        other => img.write_to(&mut Cursor::new(&mut bytes), other),
    };
    encoded.map_err(|e| OssError::internal(format!("cannot encode the image: {e}")))?;
    Ok(Output { bytes, content_type: content_type(out_format) })
}

/// The answer of `image/info`.
fn info(bytes: &[u8], img: &DynamicImage, format: ImageFormat) -> Response {
    let name = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        ImageFormat::Gif => "gif",
        _ => "bmp",
    };
    let (w, h) = img.dimensions();
    let body = json!({
        "FileSize": {"value": bytes.len().to_string()},
        "Format": {"value": name},
        "ImageHeight": {"value": h.to_string()},
        "ImageWidth": {"value": w.to_string()},
    });
    Response::bytes(200, "application/json", body.to_string())
}

/// GET /bucket/key?x-oss-process=image/…: the processed image (never saved: sys/saveas needs ProcessObject).
pub fn get(oss: &Oss, ctx: &Ctx, spec: &str) -> Result<Response, OssError> {
    let pipeline = parse(spec)?;
    if pipeline.save_as.is_some() {
        return Err(invalid("sys/saveas is only taken by ProcessObject (POST ?x-oss-process)."));
    }
    let (bytes, img, format) = load(oss, ctx)?;
    if pipeline.actions == [Action::Info] {
        return Ok(info(&bytes, &img, format));
    }
    let out = run(img, format, &pipeline.actions)?;
    Ok(Response::bytes(200, out.content_type, out.bytes))
}

/// Runs the body's pipeline (`field=value`, where the value must end with sys/saveas) and stores the result.
fn process_and_save(
    oss: &Oss,
    req: &mut Request<'_>,
    ctx: &Ctx,
    field: &str,
) -> Result<(String, String, usize), OssError> {
    let body = small_body(req, MAX_BODY)?;
    let text = String::from_utf8(body).map_err(|_| invalid("The process body is not UTF-8."))?;
    let spec = text
        .strip_prefix(field)
        .and_then(|rest| rest.strip_prefix('='))
        .ok_or_else(|| invalid(format!("The body must be {field}=<process>.")))?;
    let pipeline = parse(spec.trim_end_matches(['\r', '\n']))?;
    let save_as = pipeline.save_as.clone().ok_or_else(|| invalid("The process must end with sys/saveas."))?;
    let bucket = save_as.bucket.unwrap_or_else(|| ctx.bucket.clone());
    if !oss.store.buckets.exists(&bucket) {
        return Err(crate::bucket::no_such_bucket(&bucket));
    }
    let (_, img, format) = load(oss, ctx)?;
    let out = run(img, format, &pipeline.actions)?;
    let temp = oss.store.temp_path();
    let digests = write_hashed(&mut out.bytes.as_slice(), &temp).map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the result: {e:?}"))
    })?;
    let meta = ObjectMeta::new(save_as.key.clone(), out.content_type.into(), "Normal", &digests);
    oss.store.commit(&bucket, &temp, meta).map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the result: {e}"))
    })?;
    Ok((bucket, save_as.key, out.bytes.len()))
}

/// POST /bucket/key?x-oss-process (ProcessObject).
pub fn process(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let (bucket, key, size) = process_and_save(oss, req, ctx, "x-oss-process")?;
    let body = json!({"bucket": bucket, "fileSize": size, "object": key, "status": "OK"});
    Ok(Response::bytes(200, "application/json", body.to_string()))
}

/// POST /bucket/key?x-oss-async-process (AsyncProcessObject): the task runs before the answer.
pub fn process_async(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    process_and_save(oss, req, ctx, "x-oss-async-process")?;
    let body = json!({
        "EventId": format!("10E-{}", ctx.request_id),
        "RequestId": ctx.request_id,
        "TaskId": format!("MediaConvert-{}", ctx.request_id.to_ascii_lowercase()),
    });
    Ok(Response::bytes(200, "application/json", body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pipelines() {
        let p =
            parse("image/resize,w_100,m_fixed,h_50/rotate,90/format,png|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA").unwrap();
        assert_eq!(p.actions.len(), 3);
        assert_eq!(p.actions[1], Action::Rotate(90));
        assert_eq!(p.actions[2], Action::Format(ImageFormat::Png));
        assert_eq!(p.save_as, Some(SaveAs { bucket: Some("test".into()), key: "test.jpg".into() }));
        for bad in
            ["image/resize", "image/resize,w_0", "image/resize,w_x", "image/rotate,361", "image/format,doc", "x/y"]
        {
            assert_eq!(parse(bad).unwrap_err().status, 400, "{bad}");
        }
        for unsupported in ["image/rotate,45", "style/thumb", "video/snapshot,t_1", "image/watermark,text_aGk"] {
            assert_eq!(parse(unsupported).unwrap_err().status, 501, "{unsupported}");
        }
        assert_eq!(parse("image/resize,w_1|sys/saveas,b_dA").unwrap_err().status, 400);
    }

    #[test]
    fn resizes_as_oss_modes_say() {
        let img = DynamicImage::ImageRgba8(RgbaImage::new(400, 200));
        let r = |spec: &str| match parse_action(spec).unwrap() {
            Action::Resize(r) => resize(img.clone(), &r).dimensions(),
            _ => unreachable!(),
        };
        assert_eq!(r("resize,w_100"), (100, 50));
        assert_eq!(r("resize,w_100,h_100"), (100, 50));
        assert_eq!(r("resize,w_100,h_100,m_mfit"), (200, 100));
        assert_eq!(r("resize,w_100,h_100,m_fill"), (100, 100));
        assert_eq!(r("resize,w_100,h_100,m_pad"), (100, 100));
        assert_eq!(r("resize,w_100,h_30,m_fixed"), (100, 30));
        assert_eq!(r("resize,l_200"), (200, 100));
        assert_eq!(r("resize,s_50"), (100, 50));
        assert_eq!(r("resize,p_50"), (200, 100));
        assert_eq!(r("resize,w_800"), (400, 200), "never enlarged by default");
        assert_eq!(r("resize,w_800,limit_0"), (800, 400));
    }
}
