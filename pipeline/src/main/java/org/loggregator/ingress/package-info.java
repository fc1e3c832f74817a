/** The first stage: signed datagrams in, verified envelopes with their routing fields out. */
package org.loggregator.ingress;
