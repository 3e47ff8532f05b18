/** The public API of the WhaTap Java agent: {@link io.whatap.Whatap} and its annotations. */
package io.whatap;
