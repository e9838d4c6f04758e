// packs tests
