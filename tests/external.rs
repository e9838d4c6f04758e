// external tests
