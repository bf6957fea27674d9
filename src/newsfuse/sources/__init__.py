"""Where input comes from: files and folders (the only file reading outside the store)."""
