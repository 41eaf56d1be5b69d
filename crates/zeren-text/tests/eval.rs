//! The labelled evaluation set (eval/*.json): precision and recall of figures and
//! of problem–measure links. The floors are below the measured values (see
//! BENCHMARKS.md) so that a change that makes the reader worse fails here.

#[test]
fn labelled_set() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let r = zeren_text::eval::evaluate_dir(&dir).unwrap();
    for f in &r.files {
        println!("{} figures {:?} links {:?}", f.label, f.figures, f.links);
        for m in &f.missed_figures {
            println!("  missed {m}");
        }
        for m in &f.extra_figures {
            println!("  extra  {m}");
        }
        for m in &f.missed_links {
            println!("  missed link {m}");
        }
        for m in &f.extra_links {
            println!("  extra link  {m}");
        }
    }
    println!(
        "figures P {:.3} R {:.3}; links P {:.3} R {:.3}",
        r.figures.precision(),
        r.figures.recall(),
        r.links.precision(),
        r.links.recall()
    );
    assert_eq!(r.files.len(), 10);
    assert!(r.figures.gold >= 160);
    assert!(r.figures.precision() >= 0.9 && r.figures.recall() >= 0.9);
    assert!(r.links.precision() >= 0.8 && r.links.recall() >= 0.7);
}
