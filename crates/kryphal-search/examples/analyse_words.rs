//! Prints how the search reads each word (arguments, or one per line on
//! standard input): its lemmas, its compound parts, or its stem.
//!
//! ```text
//! cargo run -p kryphal-search --example analyse_words -- sjöfartsstöd kostnaderna
//! ```

use std::io::BufRead;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            for w in line.split_whitespace() {
                println!("{}", kryphal_search::explain_word(w));
            }
        }
    } else {
        for w in &args {
            println!("{}", kryphal_search::explain_word(w));
        }
    }
}
