//! The network as a petgraph graph: the owner, the alters, owner–alter ties weighted by
//! messages, and group co-participation edges between alters (METRICS.md §6 "Group graph").

use std::collections::HashMap;

use petgraph::graph::{NodeIndex, UnGraph};

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
    /// Person id → node, for alters.
    pub node_of: HashMap<Pid, NodeIndex>,
}

/// Builds the graph from identity and the tie message counts (by person id).
pub fn build(id: &Identified, tie_messages: &HashMap<Pid, u32>) -> Network {
    let mut graph = UnGraph::new_undirected();
    let owner = graph.add_node(Node::Owner);
    let mut node_of = HashMap::new();
    for (pid, person) in id.people.iter().enumerate() {
        if person.is_alter {
            let pid = pid as Pid;
            let n = graph.add_node(Node::Alter(pid));
            graph.add_edge(
                owner,
                n,
                Edge::Tie(tie_messages.get(&pid).copied().unwrap_or(0)),
            );
            node_of.insert(pid, n);
        }
    }
    // Participants per conversation: the owner plus every sender and recipient.
    let mut participants: Vec<Vec<Pid>> = vec![Vec::new(); id.conversations as usize];
    for m in &id.messages {
        let set = &mut participants[m.conversation as usize];
        set.push(m.sender);
        set.extend_from_slice(id.recipients_of(m));
    }
    let mut weights: HashMap<(Pid, Pid), u32> = HashMap::new();
    for mut set in participants {
        set.push(OWNER);
        set.sort_unstable();
        set.dedup();
        if set.len() <= 2 {
            continue;
        }
        let alters: Vec<Pid> = set
            .into_iter()
            .filter(|p| node_of.contains_key(p))
            .collect();
        for (i, &a) in alters.iter().enumerate() {
            for &b in &alters[i + 1..] {
                *weights.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<_> = weights.into_iter().collect();
    pairs.sort_unstable();
    for ((a, b), w) in pairs {
        graph.add_edge(node_of[&a], node_of[&b], Edge::Group(w));
    }
    Network {
        graph,
        owner,
        node_of,
    }
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
