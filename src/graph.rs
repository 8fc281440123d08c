//! The network as a petgraph graph: the owner, the alters, owner–alter ties weighted by
//! messages, and group co-participation edges between alters (METRICS.md §6 "Group graph").

use petgraph::graph::{NodeIndex, UnGraph};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

use crate::identity::{Identified, Pid, OWNER};

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// The export's owner.
    Owner,
    /// An alter, by person id.
    Alter(Pid),
}

/// What an edge is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// Owner–alter; the weight is the tie's message count (0 for a dormant connection).
    Tie(u32),
    /// Alter–alter; the number of group conversations (more than two participants) they share.
    Group(u32),
}

/// The network graph.
pub struct Network {
    /// The graph.
    pub graph: UnGraph<Node, Edge>,
    /// The owner's node.
    pub owner: NodeIndex,
    /// Person id → node, for alters (`None` for anyone else).
    pub node_of: Vec<Option<NodeIndex>>,
}

/// Builds the graph from identity and the tie message counts (by person id; a person past
/// the end has none).
pub fn build(id: &Identified, tie_messages: &[u32]) -> Network {
    // The owner's ties, node by node in person order on one thread, beside the group pairs
    // on the others: neither needs the other.
    let ((mut graph, owner, node_of), pairs) = rayon::join(
        || {
            // Nodes and ties in tables indexed by person id, with room made first: maps
            // keyed by person id, filled one by one, were most of this stage at a million
            // alters.
            let alters = id.people.iter().filter(|p| p.is_alter).count();
            let mut graph = UnGraph::with_capacity(alters + 1, alters);
            let owner = graph.add_node(Node::Owner);
            let mut node_of = vec![None; id.people.len()];
            for (pid, person) in id.people.iter().enumerate() {
                if person.is_alter {
                    let n = graph.add_node(Node::Alter(pid as Pid));
                    let messages = tie_messages.get(pid).copied().unwrap_or(0);
                    graph.add_edge(owner, n, Edge::Tie(messages));
                    node_of[pid] = Some(n);
                }
            }
            (graph, owner, node_of)
        },
        || group_pairs(id),
    );
    let node = |p: Pid| node_of[p as usize].expect("a group edge joins alters");
    for run in pairs.chunk_by(|a, b| a == b) {
        let (a, b) = run[0];
        graph.add_edge(node(a), node(b), Edge::Group(run.len() as u32));
    }
    Network {
        graph,
        owner,
        node_of,
    }
}

/// Every pair of alters in each conversation of more than two participants (the owner
/// counted), once per conversation, sorted: a pair's run is its group edge's weight.
fn group_pairs(id: &Identified) -> Vec<(Pid, Pid)> {
    // Participants per conversation: the owner plus every sender and recipient. Built from
    // sorted (conversation, person) pairs rather than a list per conversation: large exports
    // have a million conversations, and every step runs in parallel.
    // Each pair packed as `conversation << 32 | person`: one word to compare while sorting.
    // Only a conversation with two people besides the owner has group edges, and most are
    // one alter's: those with two are found first, in one pass without sorting (a
    // conversation's first other person is kept; any other person marks it a group).
    let first: Vec<AtomicU32> = (0..id.conversations)
        .map(|_| AtomicU32::new(u32::MAX))
        .collect();
    let group: Vec<AtomicBool> = (0..id.conversations)
        .map(|_| AtomicBool::new(false))
        .collect();
    id.messages.par_iter().for_each(|m| {
        let c = m.conversation as usize;
        for &p in std::iter::once(&m.sender).chain(id.recipients_of(m)) {
            if p == OWNER || group[c].load(Relaxed) {
                continue;
            }
            if let Err(other) = first[c].compare_exchange(u32::MAX, p, Relaxed, Relaxed) {
                if other != p {
                    group[c].store(true, Relaxed);
                }
            }
        }
    });
    let mut seen: Vec<u64> = id
        .messages
        .par_iter()
        .filter(|m| group[m.conversation as usize].load(Relaxed))
        .flat_map_iter(|m| {
            std::iter::once(m.sender)
                .chain(id.recipients_of(m).iter().copied())
                .map(move |p| (u64::from(m.conversation) << 32) | u64::from(p))
        })
        .collect();
    seen.par_sort_unstable();
    seen.dedup();
    // Every pair of alters in a conversation of more than two participants, once per
    // conversation; a pair's weight is how often it occurs.
    let mut pairs: Vec<(Pid, Pid)> = seen
        .par_chunk_by(|a, b| a >> 32 == b >> 32)
        .flat_map_iter(|conversation| {
            let mut set: Vec<Pid> = conversation.iter().map(|&pair| pair as Pid).collect();
            set.push(OWNER);
            set.sort_unstable();
            set.dedup();
            let mut pairs = Vec::new();
            if set.len() > 2 {
                set.retain(|&p| id.people[p as usize].is_alter);
                for (i, &a) in set.iter().enumerate() {
                    pairs.extend(set[i + 1..].iter().map(|&b| (a, b)));
                }
            }
            pairs
        })
        .collect();
    pairs.par_sort_unstable();
    pairs
}

impl Network {
    /// Number of alter–alter group edges.
    pub fn group_edges(&self) -> usize {
        self.graph
            .edge_weights()
            .filter(|e| matches!(e, Edge::Group(_)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{Message, Owner, OwnerSource, Person};

    fn person(key: &str, is_alter: bool) -> Person {
        Person {
            key: key.into(),
            is_alter,
            ..Person::default()
        }
    }

    /// An identity of `people` with `messages` (conversation, sender, recipients range into
    /// `recipients`), everything else empty.
    fn identified(
        people: Vec<Person>,
        messages: &[(u32, Pid, (u32, u32))],
        recipients: Vec<Pid>,
        conversations: u32,
    ) -> Identified {
        Identified {
            owner: Owner {
                name: None,
                key: None,
                source: OwnerSource::Unknown,
            },
            people,
            messages: messages
                .iter()
                .map(|&(conversation, sender, recipients)| Message {
                    at: 0,
                    conversation,
                    sender,
                    recipients,
                })
                .collect(),
            recipients,
            conversations,
            ambiguous_names: 0,
            has_messages: true,
            stability: Default::default(),
            invitations: None,
        }
    }

    /// Owner 0; alters 1, 2, 3; person 4 appears only in others' messages (not an alter).
    /// Conversation 0: owner, 1, 2, 4 (a group). Conversation 1: owner and 1 only.
    /// Conversation 2: owner, 1, 2, 3 (a group).
    #[test]
    fn group_edges_join_alters_of_conversations_with_more_than_two_people() {
        let people = vec![
            person("owner", false),
            person("a", true),
            person("b", true),
            person("c", true),
            person("d", false),
        ];
        let recipients = vec![1, 2, 4, 0, 1, 1, 2, 3];
        let messages = [
            (0, 0, (0, 3)),
            (1, 1, (3, 4)),
            (2, 0, (4, 5)),
            (2, 1, (5, 8)),
        ];
        let id = identified(people, &messages, recipients, 3);
        let net = build(&id, &[0, 3, 1]);
        // Owner + 3 alters; 3 tie edges; group edges a–b (convs 0 and 2), a–c, b–c (conv 2).
        assert_eq!(net.graph.node_count(), 4);
        assert_eq!(net.group_edges(), 3);
        let weight = |x: Pid, y: Pid| {
            let e = net
                .graph
                .find_edge(
                    net.node_of[x as usize].unwrap(),
                    net.node_of[y as usize].unwrap(),
                )
                .unwrap();
            net.graph[e]
        };
        assert_eq!(weight(1, 2), Edge::Group(2));
        assert_eq!(weight(1, 3), Edge::Group(1));
        assert_eq!(weight(2, 3), Edge::Group(1));
        let tie = net
            .graph
            .find_edge(net.owner, net.node_of[1].unwrap())
            .unwrap();
        assert_eq!(net.graph[tie], Edge::Tie(3));
        let dormant = net
            .graph
            .find_edge(net.owner, net.node_of[3].unwrap())
            .unwrap();
        assert_eq!(net.graph[dormant], Edge::Tie(0));
    }

    #[test]
    fn a_group_met_over_several_one_to_one_messages_has_its_edge() {
        // Conversation 0: the owner writes to a, then to b, then b answers: a group of three,
        // though no message names both. Conversation 1: the owner and c only, three messages.
        let people = vec![
            person("owner", false),
            person("a", true),
            person("b", true),
            person("c", true),
        ];
        let recipients = vec![1, 2, 0, 3, 3, 0];
        let messages = [
            (0, 0, (0, 1)),
            (1, 0, (3, 4)),
            (0, 0, (1, 2)),
            (1, 0, (4, 5)),
            (0, 2, (2, 3)),
            (1, 3, (5, 6)),
        ];
        let id = identified(people, &messages, recipients, 2);
        let net = build(&id, &[]);
        assert_eq!(net.group_edges(), 1);
        let e = net
            .graph
            .find_edge(net.node_of[1].unwrap(), net.node_of[2].unwrap())
            .unwrap();
        assert_eq!(net.graph[e], Edge::Group(1));
    }
}
