/**
 * Text for the language models: reading a text (embedded or a file), its tokens and
 * vocabulary, the 90/10 split, and the windows a step trains on — at random places, as
 * contiguous tracks for truncated BPTT, or in order for held-out evaluation. Depends on: core.
 */
package dev.glassbox.models.text;
