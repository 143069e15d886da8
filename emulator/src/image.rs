//! Image dimensions for the `${imageInfo.*}` callback variables (PNG, JPEG, GIF, BMP headers).

/// Width, height and format name of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub width: u32,
    pub height: u32,
    pub format: &'static str,
}

/// Recognises an image from its first bytes; None for anything else.
pub fn sniff(head: &[u8]) -> Option<ImageInfo> {
    let be16 = |i: usize| Some(u16::from_be_bytes([*head.get(i)?, *head.get(i + 1)?]) as u32);
    let le16 = |i: usize| Some(u16::from_le_bytes([*head.get(i)?, *head.get(i + 1)?]) as u32);
    let be32 = |i: usize| Some(u32::from_be_bytes(head.get(i..i + 4)?.try_into().ok()?));
    let le32 = |i: usize| Some(i32::from_le_bytes(head.get(i..i + 4)?.try_into().ok()?));
    let info = |width, height, format| Some(ImageInfo { width, height, format });
    if head.starts_with(b"\x89PNG\r\n\x1a\n") && head.get(12..16) == Some(b"IHDR") {
        return info(be32(16)?, be32(20)?, "png");
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return info(le16(6)?, le16(8)?, "gif");
    }
    if head.starts_with(b"BM") && head.len() >= 26 {
        return info(le32(18)?.unsigned_abs(), le32(22)?.unsigned_abs(), "bmp");
    }
    if head.starts_with(&[0xFF, 0xD8]) {
        let mut i = 2;
        while i + 3 < head.len() {
            if head[i] != 0xFF {
                return None;
            }
            let marker = head[i + 1];
            match marker {
                0xFF => i += 1,
                0x01 | 0xD0..=0xD9 => i += 2,
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                    return info(be16(i + 7)?, be16(i + 5)?, "jpg");
                }
                _ => i += 2 + be16(i + 2)? as usize,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&[0, 0, 1, 0, 0, 0, 0, 200]);
        assert_eq!(sniff(&png), Some(ImageInfo { width: 256, height: 200, format: "png" }));
        assert_eq!(sniff(b"GIF89a\x0a\x00\x05\x00"), Some(ImageInfo { width: 10, height: 5, format: "gif" }));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0, 30, 0, 40, 3];
        assert_eq!(sniff(&jpeg), Some(ImageInfo { width: 40, height: 30, format: "jpg" }));
        assert_eq!(sniff(b"random content"), None);
    }
}
