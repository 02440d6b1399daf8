/**
 * Files: checkpoints in the safetensors format ({@link dev.glassbox.io.SafeTensors}) and
 * atomic writes ({@link dev.glassbox.io.AtomicFiles}). Depends on: tensor, Jackson.
 */
package dev.glassbox.io;
