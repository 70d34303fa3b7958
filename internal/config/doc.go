// Package config reads presswatch's YAML configuration: crawl settings,
// sources and topics. Load validates everything and names the file, line and
// field of the first problem; the result is a plain value passed down to the
// stages, never a global. Default returns the embedded configuration of the
// Zhanaozen deployment.
package config
