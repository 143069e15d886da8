//! CRC-64/XZ (what OSS calls `crc64ecma`, sent back in `x-oss-hash-crc64ecma`): SIMD-accelerated hashing plus
//! `combine`, so parts hashed in parallel give the CRC of the whole object.

/// The reflected ECMA-182 polynomial.
const POLY: u64 = 0xC96C_5795_D787_0F42;

/// CRC-64/XZ of `data`.
pub fn checksum(data: &[u8]) -> u64 {
    let mut d = crc64fast::Digest::new();
    d.write(data);
    d.sum64()
}

/// The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)` (zlib's GF(2) matrix method).
pub fn combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    if len_b == 0 {
        return crc_a;
    }
    let mut odd = [0u64; 64];
    odd[0] = POLY;
    for (n, slot) in odd.iter_mut().enumerate().skip(1) {
        *slot = 1 << (n - 1);
    }
    let mut even = square(&odd); // two zero bits
    odd = square(&even); // four zero bits
    let (mut crc, mut len) = (crc_a, len_b);
    loop {
        even = square(&odd);
        if len & 1 != 0 {
            crc = times(&even, crc);
        }
        len >>= 1;
        if len == 0 {
            break;
        }
        odd = square(&even);
        if len & 1 != 0 {
            crc = times(&odd, crc);
        }
        len >>= 1;
        if len == 0 {
            break;
        }
    }
    crc ^ crc_b
}

fn times(mat: &[u64; 64], mut vec: u64) -> u64 {
    let (mut sum, mut i) = (0, 0);
    while vec != 0 {
        if vec & 1 != 0 {
            sum ^= mat[i];
        }
        vec >>= 1;
        i += 1;
    }
    sum
}

fn square(mat: &[u64; 64]) -> [u64; 64] {
    let mut out = [0u64; 64];
    for (n, slot) in out.iter_mut().enumerate() {
        *slot = times(mat, mat[n]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_and_combination() {
        assert_eq!(checksum(b"123456789"), 0x995D_C9BB_DF19_39FA);
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for cut in [0, 1, 8, 102_400, 299_999, 300_000] {
            let (a, b) = data.split_at(cut);
            assert_eq!(combine(checksum(a), checksum(b), b.len() as u64), checksum(&data), "cut {cut}");
        }
    }
}
