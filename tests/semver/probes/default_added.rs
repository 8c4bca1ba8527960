pub fn probe(x: &mut things::input::PutThingInput) {
    x.count = Some(5);
}
