//! Small text helpers shared by extractors: 1-based line numbers for byte offsets and for the
//! first occurrence of a needle, so every component can point at the line that declared it.

/// The 1-based line of a byte offset.
pub fn line_of_offset(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let n = memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// Line numbers of a text, computed once and then looked up by offset in O(log n).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }

    /// The line of the first occurrence of `needle` at or after byte `from`, and the offset just
    /// past it (so that a sequence of lookups in file order costs one pass over the text).
    pub fn find(&self, needle: &str, from: usize) -> Option<(u32, usize)> {
        let hay = self.text.as_bytes().get(from..)?;
        let pos = memchr::memmem::find(hay, needle.as_bytes())? + from;
        Some((self.line(pos), pos + needle.len()))
    }

    /// The line of the first occurrence of `needle` anywhere.
    pub fn line_of(&self, needle: &str) -> Option<u32> {
        self.find(needle, 0).map(|(l, _)| l)
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let t = "a\nbb\n\nccc";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line(100), 4);
        assert_eq!(idx.line_of("ccc"), Some(4));
        assert_eq!(idx.find("b", 3), Some((2, 4)));
        assert_eq!(idx.find("zz", 0), None);
        assert_eq!(line_of_offset(t, 6), 4);
    }
}
