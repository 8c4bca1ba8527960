pub fn probe(x: &mut things::output::PutThingOutput) {
    x.label = Some("label".into());
}
