// Package lab makes one real TCP connection on the loopback interface (a
// tiny server and client in this process), captures it with an AF_PACKET
// socket (Linux, root or CAP_NET_RAW), and analyses it: the socket calls
// made, in order, the ladder and record of the connection, and the
// capture as pcapng for Wireshark. Note names the call behind each packet
// for a walkthrough. Bounded: one connection, a few hundred bytes, about a
// tenth of a second.
//
// It imports the pipeline and what it returns (analyze, ladder, flows) and
// the message catalogue; it draws nothing.
package lab
