pub fn probe(x: &things::input::PutThingInput) -> Option<i32> {
    x.count
}
