fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    for (n, id) in doc.get_pages() {
        let c = doc.get_page_content_with_limit(id, 1 << 26);
        match c {
            Ok(c) => {
                println!("page {n}: {} bytes content", c.len());
                match lopdf::content::Content::decode(&c) {
                    Ok(ops) => println!(
                        "  {} ops; first: {:?}",
                        ops.operations.len(),
                        ops.operations
                            .iter()
                            .take(12)
                            .map(|o| o.operator.clone())
                            .collect::<Vec<_>>()
                    ),
                    Err(e) => {
                        println!("  decode error {e}");
                        println!("{}", String::from_utf8_lossy(&c[..c.len().min(300)]));
                    }
                }
            }
            Err(e) => println!("page {n}: content error {e}"),
        }
        for (name, f) in doc.get_page_fonts(id).unwrap_or_default() {
            println!(
                "  font {} {:?}",
                String::from_utf8_lossy(&name),
                f.get(b"Subtype").ok()
            );
        }
    }
}
