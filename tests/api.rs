// api tests
