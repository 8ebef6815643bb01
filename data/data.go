// Package data embeds the datasets Whereas ships with: the seed resolution's raw text, as
// extracted from the European Parliament's PDF, and the reviewable file of the people,
// organisations, legal provisions and cases it names.
package data

import "embed"

// Seed holds seed/*.json (entities and cases) and seed/*.txt (raw resolution texts).
//
//go:embed seed/*.json seed/*.txt
var Seed embed.FS

// SeedFile is the dataset `whereas seed` and `whereas serve` load by default.
const SeedFile = "seed/kazakhstan-2019.json"
